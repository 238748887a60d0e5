export function RulesPage() {
  return <div>TODO</div>
}
