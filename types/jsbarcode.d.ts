/** jsbarcode's Code 128 encoder classes (the package ships no types for its deep modules). */
declare module 'jsbarcode/bin/barcodes/CODE128' {
  interface Encoded {
    /** Modules, left to right: '1' a bar, '0' a space (no quiet zone). */
    data: string
    text: string
  }
  class Code128Encoder {
    constructor(data: string, options: Record<string, unknown>)
    valid(): boolean
    encode(): Encoded
  }
  export class CODE128 extends Code128Encoder {}
  export class CODE128C extends Code128Encoder {}
}
