import Taro from '@tarojs/taro'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

import { AppError } from '../../domain/errors'
import { showErrorToast } from './index'

beforeEach(() => jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' }))
afterEach(() => jest.restoreAllMocks())

const last = () => jest.mocked(Taro.showToast).mock.calls.at(-1)?.[0]

it('an error toast stays at least 3 s, longer for a long message, with the Chinese text of the code', () => {
  showErrorToast(new AppError('insufficient_points'))
  expect(last()).toEqual({ title: '积分不足', icon: 'none', duration: 3000 })
  showErrorToast('member_code_expired')
  expect(last()).toEqual({ title: '会员码已过期，请让顾客刷新会员码后重新扫码', icon: 'none', duration: 3150 })
  showErrorToast('无法识别，请扫描会员码或兑换券')
  expect(last()?.title).toBe('无法识别，请扫描会员码或兑换券')
  showErrorToast(new Error('boom'))
  expect(last()?.title).toBe('网络开小差了，请稍后再试')
  showErrorToast('一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十')
  expect(last()?.duration).toBe(4500)
})

/** Every source file of the app (not tests). */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : []
  })
}

it('screens show errors through showErrorToast, never a plain (1.5 s) Taro.showToast', () => {
  const src = join(__dirname, '../..')
  const offenders = sources(src)
    .filter((file) => !file.startsWith(__dirname))
    .flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/showToast\(\{[^}]*\}\)/g)]
        .filter(([call]) => /messageFor|errorCode|失败|无法|错误|不能/.test(call))
        .map(([call]) => `${relative(src, file)}: ${call}`),
    )
  expect(offenders).toEqual([])
})
