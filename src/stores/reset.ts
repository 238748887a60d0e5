/**
 * Every store that holds a member's data registers how to empty itself; `resetMemberStores()` (on sign-out)
 * empties them all, so no screen shows the previous member's data, and answers still on their way for the
 * previous member are dropped.
 */
const resets = new Set<() => void>()

/** Called by `createResource` / `createPagedList` (and any store holding member data) when it is made. */
export function onMemberReset(reset: () => void): void {
  resets.add(reset)
}

export function resetMemberStores(): void {
  for (const reset of resets) reset()
}
