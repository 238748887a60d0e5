import { listenForWedgeScans } from './wedge'
import { listenForWedgeScans as weappListen } from './wedge.weapp'

let now = 0
beforeEach(() => {
  now = 1000
  jest.spyOn(performance, 'now').mockImplementation(() => now)
})
afterEach(() => jest.restoreAllMocks())

/** Key events on `target` (default: the body), `gapMs` apart; returns the Enter event. */
function type(text: string, gapMs: number, target: EventTarget = document.body): KeyboardEvent {
  for (const key of text) {
    target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))
    now += gapMs
  }
  const enter = new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true })
  target.dispatchEvent(enter)
  return enter
}

it('a scanner’s fast characters then Enter reach onScan; the Enter goes no further when it takes the scan', () => {
  const scans: string[] = []
  const stop = listenForWedgeScans((t) => (scans.push(t), true))
  const enter = type('912345678901234567', 5)
  expect(scans).toEqual(['912345678901234567'])
  expect(enter.defaultPrevented).toBe(true)
  stop()
  type('912345678901234567', 5)
  expect(scans).toHaveLength(1)
})

it('typing by hand, into a field or not, is no scan', () => {
  const onScan = jest.fn(() => true)
  const stop = listenForWedgeScans(onScan)
  const input = document.createElement('input')
  document.body.append(input)
  expect(type('912345678901234567', 120, input).defaultPrevented).toBe(false)
  expect(type('912345678901234567', 90).defaultPrevented).toBe(false)
  expect(onScan).not.toHaveBeenCalled()
  stop()
  input.remove()
})

it('a scan the page does not take keeps its Enter (e.g. an order number scanned into its field)', () => {
  const stop = listenForWedgeScans(() => false)
  expect(type('POS20261206001', 5).defaultPrevented).toBe(false)
  stop()
})

it('a keydown without a key (autofill) is ignored, not an error', () => {
  const onScan = jest.fn(() => true)
  const stop = listenForWedgeScans(onScan)
  // a listener's exception does not leave dispatchEvent: the window's error event reports it (as a page error)
  const errors: unknown[] = []
  const onError = (e: ErrorEvent) => {
    errors.push(e.error)
    e.preventDefault()
  }
  window.addEventListener('error', onError)
  document.body.dispatchEvent(new Event('keydown', { bubbles: true }))
  window.removeEventListener('error', onError)
  expect(errors).toEqual([])
  type('912345678901234567', 5)
  expect(onScan).toHaveBeenCalledWith('912345678901234567')
  stop()
})

it('the mini-program build has no keyboard: listening does nothing', () => {
  const onScan = jest.fn(() => true)
  const stop = weappListen(onScan)
  type('912345678901234567', 5)
  expect(onScan).not.toHaveBeenCalled()
  stop()
})
