export function ExportsPage() {
  return <div>TODO</div>
}
