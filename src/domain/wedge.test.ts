import { createWedgeDetector } from './wedge'

/** Feeds `text` then Enter, `gapMs` apart from `startMs`; returns what the detector answered for Enter. */
function type(d: ReturnType<typeof createWedgeDetector>, text: string, gapMs: number, startMs = 1000): string | null {
  let t = startMs
  for (const ch of text) {
    expect(d.key(ch, t)).toBeNull()
    t += gapMs
  }
  return d.key('Enter', t)
}

describe('createWedgeDetector', () => {
  it('fast characters then Enter are a scan (digits, or a token with Shift for capitals)', () => {
    const d = createWedgeDetector()
    expect(type(d, '912345678901234567', 5)).toBe('912345678901234567')
    let t = 5000
    for (const ch of 'M1.ABC0123') {
      if (ch >= 'A' && ch <= 'Z') d.key('Shift', t)
      d.key(ch, t)
      t += 8
    }
    expect(d.key('Enter', t)).toBe('M1.ABC0123')
  })

  it('a person typing (≥ 80 ms between keys) is never a scan', () => {
    const d = createWedgeDetector()
    expect(type(d, '912345678901234567', 80)).toBeNull()
    expect(type(d, '912345678901234567', 120)).toBeNull()
  })

  it('a slow key starts the run over; a scan after it still counts', () => {
    const d = createWedgeDetector()
    d.key('1', 0)
    d.key('2', 300) // the person stopped: the next run starts here
    expect(type(d, '912345678901234567', 10, 1000)).toBe('912345678901234567')
  })

  it('a late Enter, too few characters, or a bare Enter: nothing', () => {
    const d = createWedgeDetector()
    for (const ch of '912345678901234567') d.key(ch, 0)
    expect(d.key('Enter', 500)).toBeNull()
    expect(type(d, '1234', 5)).toBeNull()
    expect(d.key('Enter', 10_000)).toBeNull()
  })

  it('the gap and minimum length are options; inScan once two fast characters came', () => {
    const d = createWedgeDetector({ maxGapMs: 20, minLength: 3 })
    expect(type(d, '123', 30)).toBeNull()
    expect(type(d, '123', 15)).toBe('123')
    d.key('4', 0)
    expect(d.inScan()).toBe(false)
    d.key('5', 10)
    expect(d.inScan()).toBe(true)
    d.reset()
    expect(d.inScan()).toBe(false)
  })
})
