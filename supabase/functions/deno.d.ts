// The part of the Deno namespace the functions use, for type-checking them with the project's tsc.
declare namespace Deno {
  function serve(handler: (req: Request) => Response | Promise<Response>): unknown
  const env: { get(key: string): string | undefined }
}
