import { decodeCode128 } from '../../test/support/barcode'
import { code128Modules } from './barcode'
import { qrRuns } from './qr'

describe('code128Modules', () => {
  it.each(['912345678901234567', '900000000000000000', '999999999999999999', 'M1.ABC', '1'])('%s decodes back (ZXing)', (text) => {
    expect(decodeCode128(code128Modules(text))).toBe(text)
  })

  it('18 digits: code set C, 9 symbols + start, check and stop = 145 modules, bars at both ends', () => {
    const modules = code128Modules('912345678901234567')
    // start C (11) + 9 digit pairs (11 each) + check (11) + stop (13)
    expect(modules).toHaveLength(11 + 9 * 11 + 11 + 13)
    expect([modules[0], modules.at(-1)]).toEqual([true, true])
    // every bar and space is 1–4 modules wide
    expect(qrRuns(modules).every((r) => r.length >= 1 && r.length <= 4)).toBe(true)
  })

  it('refuses what Code 128 cannot carry', () => {
    expect(() => code128Modules('')).toThrow(RangeError)
    expect(() => code128Modules('会员')).toThrow(RangeError)
  })
})
