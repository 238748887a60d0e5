import {
  fitLine,
  posterLayout,
  POSTER_CODE_SIZE,
  POSTER_HEIGHT,
  POSTER_WIDTH,
  textBox,
  wrapText,
  type Measure,
  type PosterInput,
  type PosterOp,
} from './poster'

/** A font where a Chinese character is `size` wide and anything else half of it (bold: 10 % wider). */
const measure: Measure = (text, size, weight) =>
  Array.from(text).reduce((w, ch) => w + (/[\u0000-\u00ff]/.test(ch) ? size / 2 : size), 0) * (weight === 'bold' ? 1.1 : 1)
const at12 = (s: string) => measure(s, 12, 'normal')

const input: PosterInput = {
  nickname: '林小满',
  initial: '林',
  programName: '积分会员演示品牌',
  title: '送你100积分，一起来赚积分',
  rules: '邀请好友注册并完成首次签到（需绑定手机号），双方各得100积分；每天最多奖励10次',
  codeHint: '扫码加入会员，或填写邀请码',
  inviteCode: 'ABCD2345',
}

const texts = (ops: PosterOp[]) => ops.filter((op): op is Extract<PosterOp, { kind: 'text' }> => op.kind === 'text')

describe('wrapText', () => {
  it('Chinese breaks between any two characters, every line fits', () => {
    const lines = wrapText('邀请好友注册并完成首次签到双方各得积分', 60, at12)
    expect(lines).toEqual(['邀请好友注', '册并完成首', '次签到双方', '各得积分'])
    for (const line of lines) expect(at12(line)).toBeLessThanOrEqual(60)
  })

  it('a Latin word or number stays whole when it can, and a space is not carried to the next line', () => {
    expect(wrapText('送你 1000 积分', 60, at12)).toEqual(['送你 1000', '积分'])
    expect(wrapText('hello world again', 66, at12)).toEqual(['hello world', 'again'])
  })

  it('punctuation never starts a line: the previous character comes along', () => {
    expect(wrapText('一二三四五，六七', 60, at12)).toEqual(['一二三四', '五，六七'])
  })

  it('a word wider than a line is broken between characters', () => {
    expect(wrapText('ABCDEFGHIJKL', 36, at12)).toEqual(['ABCDEF', 'GHIJKL'])
  })

  it('too many lines: the last kept line ends with …, still fitting', () => {
    const lines = wrapText('一二三四五六七八九十一二三四五六七八九十', 60, at12, 2)
    expect(lines).toEqual(['一二三四五', '六七八九…'])
    expect(at12(lines[1])).toBeLessThanOrEqual(60)
  })

  it('empty text: no lines', () => {
    expect(wrapText('', 100, at12)).toEqual([])
    expect(wrapText('   ', 100, at12)).toEqual([])
  })
})

it('fitLine keeps what fits and cuts the rest with …', () => {
  expect(fitLine('林小满', 100, at12)).toBe('林小满')
  expect(fitLine('一位名字特别特别长的会员朋友', 60, at12)).toBe('一位名字…')
})

describe('posterLayout', () => {
  it('the card, band, avatar, texts in order, the code square centred near the bottom', () => {
    const layout = posterLayout(input, measure)
    expect([layout.width, layout.height]).toEqual([POSTER_WIDTH, POSTER_HEIGHT])
    expect(layout.ops[0]).toMatchObject({ kind: 'card', width: 300, height: 520 })
    expect(layout.ops.find((op) => op.kind === 'avatar')).toMatchObject({ cx: 150, initial: '林' })
    expect(texts(layout.ops).map((t) => t.text)).toEqual([
      '林小满',
      '邀请你加入',
      '积分会员演示品牌',
      '送你100积分，一起来赚积分',
      '邀请好友注册并完成首次签到（需绑定手机',
      '号），双方各得100积分；每天最多奖励10次',
      '扫码加入会员，或填写邀请码',
      '邀请码 ABCD2345',
    ])
    const code = layout.ops.find((op) => op.kind === 'code')!
    expect(code).toEqual({ kind: 'code', x: 150 - POSTER_CODE_SIZE / 2, y: expect.any(Number), size: POSTER_CODE_SIZE })
  })

  it('long texts are cut, and nothing leaves the card or overlaps the code', () => {
    const long = posterLayout(
      {
        ...input,
        nickname: '一位名字特别特别特别特别长的会员朋友们大家好',
        programName: '一个名字非常非常非常非常长的积分会员计划旗舰店',
        title: '送你100积分，一起来赚积分，'.repeat(4),
        rules: '邀请好友注册并完成首次签到（需绑定手机号），双方各得100积分；'.repeat(5),
      },
      measure,
    )
    const boxes = texts(long.ops).map((t) => ({ t, box: textBox(t, measure) }))
    for (const { t, box } of boxes) {
      expect(box.left).toBeGreaterThanOrEqual(20 - 0.001)
      expect(box.right).toBeLessThanOrEqual(POSTER_WIDTH - 20 + 0.001)
      expect(box.bottom).toBeLessThanOrEqual(POSTER_HEIGHT)
      expect(t.text.length).toBeGreaterThan(0)
    }
    expect(boxes[0].t.text.endsWith('…')).toBe(true)
    expect(boxes[2].t.text.endsWith('…')).toBe(true)
    // title: 2 lines, rules: 3 lines, each last one cut
    expect(boxes.filter((b) => b.t.size === 18)).toHaveLength(2)
    expect(boxes.filter((b) => b.t.size === 12 && b.t.color === 'secondary')).toHaveLength(4) // + the hint
    const code = long.ops.find((op) => op.kind === 'code')!
    const above = boxes.filter((b) => b.box.top < code.y)
    for (const { box } of above) expect(box.bottom).toBeLessThan(code.y - 6)
    const below = boxes.filter((b) => b.box.top >= code.y)
    for (const { box } of below) expect(box.top).toBeGreaterThan(code.y + code.size)
    expect(below.map((b) => b.t.text)).toEqual(['扫码加入会员，或填写邀请码', '邀请码 ABCD2345'])
  })

  it('lines of one text block do not overlap each other', () => {
    const { ops } = posterLayout({ ...input, rules: '规则'.repeat(60) }, measure)
    const ys = texts(ops).map((t) => textBox(t, measure))
    for (let i = 1; i < ys.length; i++) expect(ys[i].top).toBeGreaterThanOrEqual(ys[i - 1].bottom - 0.001)
  })
})
