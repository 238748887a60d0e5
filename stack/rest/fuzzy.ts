// The fuzzy string set PostgREST uses for its "Perhaps you meant …" hints: the Haskell package `fuzzyset`
// 0.2.x (Data.FuzzySet, a port of fuzzyset.js), which PostgREST 14 depends on (`fuzzyset >= 0.2.4 && < 0.3`).
// Reproduced step by step so that the local stack suggests what PostgREST suggests:
// - an entry is stored under its lower-cased text (`key`); an exact key match scores 1;
// - otherwise the n-grams (n = 3, then 2 if 3 found nothing) of the normalized text (lower case, only letters,
//   digits, white space and ',' kept, enclosed in '-') are compared by cosine similarity, the best 50 are
//   re-scored with the normalized Levenshtein similarity (1 - distance / longer length) of the lower-cased
//   texts, sorted best first (stable), and those at or above the minimum score are answered.
// Ties keep the order in which entries were added to the set, and `fromList` adds the last entry first
// (`addMany = foldr (flip add)`), as in the Haskell package. (The Haskell set walks a HashMap Int, whose order is
// the entry order for sets under 32 entries; for larger sets exact ties may come out in another order there.)

interface Item {
  magnitude: number
  entry: string
}

const chars = (s: string) => Array.from(s)

function normalized(s: string): string {
  return chars(s.toLowerCase())
    .filter((c) => /[\p{L}\p{N}\s,]/u.test(c))
    .join('')
}

export function grams(value: string, size: number): string[] {
  const str = chars(`-${normalized(value)}-`)
  const out: string[] = []
  for (let i = 0; i + size <= str.length; i++) out.push(str.slice(i, i + size).join(''))
  return out
}

function gramVector(value: string, size: number): Map<string, number> {
  const v = new Map<string, number>()
  for (const g of grams(value, size)) v.set(g, (v.get(g) ?? 0) + 1)
  return v
}

const norm = (counts: Iterable<number>) => Math.sqrt([...counts].reduce((s, c) => s + c * c, 0))

/** text-metrics' levenshteinNorm: 1 - distance / length of the longer text (1 for two empty texts). */
export function levenshteinNorm(a: string, b: string): number {
  const s = chars(a)
  const t = chars(b)
  const longest = Math.max(s.length, t.length)
  if (longest === 0) return 1
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j)
  for (let i = 1; i <= s.length; i++) {
    const cur = [i]
    for (let j = 1; j <= t.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1))
    prev = cur
  }
  return 1 - prev[t.length] / longest
}

export class FuzzySet {
  private readonly exact = new Map<string, string>()
  private readonly matchDict = new Map<string, { index: number; count: number }[]>()
  private readonly items = new Map<number, Item[]>()

  constructor(
    private readonly lower = 2,
    private readonly upper = 3,
    private readonly useLevenshtein = true,
  ) {}

  /** Data.FuzzySet.fromList: the default set (2, 3, Levenshtein) with the values added last to first. */
  static fromList(values: readonly string[]): FuzzySet {
    const set = new FuzzySet()
    for (let i = values.length - 1; i >= 0; i--) set.add(values[i])
    return set
  }

  add(value: string): boolean {
    const key = value.toLowerCase()
    if (this.exact.has(key)) return false
    for (let size = this.lower; size <= this.upper; size++) {
      const items = this.items.get(size) ?? []
      const vector = gramVector(key, size)
      for (const [gram, count] of vector) {
        this.matchDict.set(gram, [{ index: items.length, count }, ...(this.matchDict.get(gram) ?? [])])
      }
      items.push({ magnitude: norm(vector.values()), entry: key })
      this.items.set(size, items)
    }
    this.exact.set(key, value)
    return true
  }

  /** getWithMinScore: [score, value] pairs, best first. */
  get(value: string, minScore = 0.33): [number, string][] {
    const key = value.toLowerCase()
    const match = this.exact.get(key)
    if (match !== undefined) return [[1, match]]
    for (let size = this.upper; size >= this.lower; size--) {
      const found = this.matches(key, minScore, size)
      if (found.length) return found
    }
    return []
  }

  /** getOneWithMinScore (getOne: 0.33) */
  getOne(value: string, minScore = 0.33): string | undefined {
    return this.get(value, minScore)[0]?.[1]
  }

  private matches(query: string, minScore: number, size: number): [number, string][] {
    const queryVector = gramVector(query, size)
    const dots = new Map<number, number>()
    for (const [gram, count] of queryVector) {
      for (const info of this.matchDict.get(gram) ?? []) dots.set(info.index, (dots.get(info.index) ?? 0) + info.count * count)
    }
    const queryMagnitude = norm(queryVector.values())
    const items = this.items.get(size) ?? []
    let results: [number, string][] = [...dots.entries()]
      .sort((a, b) => a[0] - b[0])
      .filter(([index]) => items[index])
      .map(([index, dot]) => [dot / (queryMagnitude * items[index].magnitude), items[index].entry])
    results.sort((a, b) => b[0] - a[0])
    if (this.useLevenshtein) {
      results = results.slice(0, 50).map(([, entry]) => [levenshteinNorm(query, entry), entry])
      results.sort((a, b) => b[0] - a[0])
    }
    return results.filter(([score]) => score >= minScore).map(([score, entry]) => [score, this.exact.get(entry) ?? ''])
  }
}
