import { checkPhoneInput, isPhone } from './session'

describe('checkPhoneInput: says what is wrong instead of dropping or cutting characters', () => {
  it('an 11-digit mobile number, also typed in groups or with +86', () => {
    expect(checkPhoneInput('13800000001')).toEqual({ phone: '13800000001' })
    expect(checkPhoneInput(' 138 0000 0001 ')).toEqual({ phone: '13800000001' })
    expect(checkPhoneInput('138-0000-0001')).toEqual({ phone: '13800000001' })
    expect(checkPhoneInput('+86 138 0000 0001')).toEqual({ phone: '13800000001' })
  })
  it('12 digits are one too many, never the first 11 (another member)', () => {
    expect(checkPhoneInput('138000000012')).toEqual({ problem: '手机号应为11位数字，多了1位' })
  })
  it('letters are refused, not dropped', () => {
    expect(checkPhoneInput('1380000000a1')).toEqual({ problem: '手机号只能包含数字' })
    expect(checkPhoneInput('138O0000001')).toEqual({ problem: '手机号只能包含数字' })
  })
  it('too short, empty, or not a mainland mobile number', () => {
    expect(checkPhoneInput('1380000')).toEqual({ problem: '手机号应为11位数字，还差4位' })
    expect(checkPhoneInput('')).toEqual({ problem: '请输入手机号' })
    expect(checkPhoneInput('23800000001')).toEqual({ problem: '请输入正确的手机号（1开头的11位数字）' })
    expect(isPhone('13800000001')).toBe(true)
  })
})
