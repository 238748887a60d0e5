import Taro from '@tarojs/taro'
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react'

import { AppError } from '../../domain/errors'
import { avatarFromChosen, pickAvatar } from '../../platform/avatar'
import { saveAvatar } from '../../services/avatar'
import { fetchMe } from '../../services/member'
import { updateProfile } from '../../services/profile'
import { signOut } from '../../services/session'
import { meStore } from '../../stores/member'
import { sessionStore } from '../../stores/session'
import ProfilePage from './index'
import { aMe, aSession } from '../../../test/factories/me'
import { buttonByText, typeInto, inputByPlaceholder, errorToast } from '../../../test/support/taro-dom'

jest.mock('../../services/avatar')
jest.mock('../../services/member')
jest.mock('../../services/profile')
jest.mock('../../services/session')
jest.mock('../../platform/avatar')
// the avatar control per platform (src/platform/ui.ts: 'file' on H5, 'chooseAvatar' in the mini-program)
let mockAvatarPicker: 'file' | 'chooseAvatar' = 'file'
jest.mock('../../platform/ui', () => ({
  ...jest.requireActual('../../platform/ui'),
  get avatarPicker() {
    return mockAvatarPicker
  },
}))

const initial = { me: meStore.getState(), session: sessionStore.getState() }

beforeEach(() => {
  jest.resetAllMocks()
  mockAvatarPicker = 'file'
  meStore.setState(initial.me, true)
  sessionStore.setState({ ...initial.session, status: 'signed_in', member: aSession().member }, true)
  jest.spyOn(Taro, 'showToast').mockResolvedValue({ errMsg: 'showToast:ok' })
  jest.spyOn(Taro, 'reLaunch').mockResolvedValue({ errMsg: 'reLaunch:ok' })
})
afterEach(() => jest.restoreAllMocks())

/** Choosing a date in a Taro Picker: a `change` event with the value in `detail`. */
function pick(label: string, value: string) {
  const picker = screen.getByText(label).closest('taro-picker-core')!
  fireEvent(picker, new CustomEvent('change', { bubbles: true, detail: { value } }))
}

function saveDisabled(): boolean {
  return (screen.getByText('保存').closest('taro-button-core') as unknown as { disabled: boolean }).disabled === true
}

it('loading, then the profile', async () => {
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  render(<ProfilePage />)
  expect(screen.getByText('加载中…')).toBeInTheDocument()

  expect(await screen.findByText('138****0001')).toBeInTheDocument()
  expect(screen.getByText('林').closest('.profile__avatar--initial')).not.toBeNull()
  expect(screen.getAllByText('普通会员')).toHaveLength(2)
  expect(screen.getByText('2026-09-25')).toBeInTheDocument()
  expect(screen.getByText('1996-05-20')).toBeInTheDocument()
  expect(screen.getByText('生日每年只能修改一次，生日当月可获得生日礼')).toBeInTheDocument()
  expect(inputByPlaceholder('1–32 个字').value).toBe('林小满')
  expect(saveDisabled()).toBe(true)
})

it('an avatar image, no phone and no birthday yet: the picker starts empty', async () => {
  jest.mocked(fetchMe).mockResolvedValue(aMe({ avatar_url: 'https://example.com/a.png', phone: null, birthday: null }))
  const { container } = render(<ProfilePage />)
  expect(await screen.findByText('未绑定')).toBeInTheDocument()
  // Taro's Image draws its inner <img> once the web component is ready
  await waitFor(() => expect(container.querySelector('img')).toHaveAttribute('src', 'https://example.com/a.png'))
  expect(screen.queryByText('林')).not.toBeInTheDocument()
  expect(screen.getByText('请选择生日')).toBeInTheDocument()
  // no date is suggested (it was 1995-01-01)
  expect((container.querySelector('taro-picker-core') as unknown as { value: string }).value).toBe('')
  // no avatar link field any more
  expect(screen.queryByPlaceholderText('https://…')).not.toBeInTheDocument()
})

it('an error loading shows the message and 重试 recovers', async () => {
  jest.mocked(fetchMe).mockRejectedValueOnce(new AppError('network_error')).mockResolvedValueOnce(aMe())
  render(<ProfilePage />)
  expect(await screen.findByText('网络连接失败，请检查网络后重试')).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('重试')))
  expect(await screen.findByText('138****0001')).toBeInTheDocument()
})

it('保存 sends only what changed after the birthday is confirmed, toasts, and the member takes the saved profile', async () => {
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  jest.mocked(updateProfile).mockResolvedValue({
    id: aMe().id,
    nickname: '小满',
    avatar_url: null,
    phone: '13800000001',
    birthday: '1996-06-01',
    birthday_editable_from: '2027-11-24T04:00:00+00:00',
    created_at: aMe().created_at,
  })
  const modal = jest.spyOn(Taro, 'showModal').mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  render(<ProfilePage />)
  await screen.findByText('138****0001')
  await typeInto(inputByPlaceholder('1–32 个字'), ' 小满 ')
  pick('1996-05-20', '1996-06-01')
  expect(saveDisabled()).toBe(false)
  await act(async () => fireEvent.click(screen.getByText('保存')))

  expect(modal).toHaveBeenCalledWith(
    expect.objectContaining({ title: '确认生日', content: '生日将设为 1996-06-01。保存后一年内不能修改，确定保存吗？' }),
  )
  expect(updateProfile).toHaveBeenCalledWith({ p_nickname: '小满', p_birthday: '1996-06-01' })
  expect(Taro.showToast).toHaveBeenCalledWith({ title: '已保存', icon: 'success' })
  expect(fetchMe).toHaveBeenCalledTimes(1)
  expect(await screen.findByText('小满')).toBeInTheDocument()
  expect(saveDisabled()).toBe(true)
})

it('a birthday not confirmed is not saved', async () => {
  jest.mocked(fetchMe).mockResolvedValue(aMe({ birthday: null }))
  jest.mocked(updateProfile).mockResolvedValue({} as never)
  const modal = jest.spyOn(Taro, 'showModal').mockResolvedValue({ confirm: false, cancel: true, errMsg: 'showModal:ok' })
  render(<ProfilePage />)
  await screen.findByText('138****0001')
  pick('请选择生日', '1990-02-03')
  expect(screen.getByText('1990-02-03')).toBeInTheDocument()
  await act(async () => fireEvent.click(screen.getByText('保存')))
  expect(modal).toHaveBeenCalledWith(expect.objectContaining({ content: expect.stringContaining('一年内不能修改') }))
  expect(updateProfile).not.toHaveBeenCalled()
  expect(saveDisabled()).toBe(false) // still there to save
})

it('the nickname input is WeChat’s nickname input, its blur value counts, and a nickname alone asks nothing', async () => {
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  jest.mocked(updateProfile).mockResolvedValue({} as never)
  const modal = jest.spyOn(Taro, 'showModal')
  render(<ProfilePage />)
  await screen.findByText('138****0001')
  const input = inputByPlaceholder('1–32 个字')
  expect(input.getAttribute('type')).toBe('nickname')
  // WeChat fills the nickname from its keyboard without input events: the value arrives with blur
  await waitFor(() => expect(input.querySelector('input')).not.toBeNull())
  fireEvent(input, new CustomEvent('blur', { bubbles: true, detail: { value: '微信昵称' } }))
  expect(saveDisabled()).toBe(false)
  await act(async () => fireEvent.click(screen.getByText('保存')))
  expect(modal).not.toHaveBeenCalled()
  expect(updateProfile).toHaveBeenCalledWith({ p_nickname: '微信昵称' })
})

it('H5: 更换头像 opens the file picker; the square avatar is uploaded and shown', async () => {
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  const image = { bytes: new ArrayBuffer(8), type: 'image/jpeg' as const }
  jest.mocked(pickAvatar).mockResolvedValue(image)
  const url = 'http://127.0.0.1:54321/storage/v1/object/public/avatars/x/avatar-1.jpg'
  jest.mocked(saveAvatar).mockResolvedValue({ ...aMe(), avatar_url: url })
  const { container } = render(<ProfilePage />)
  await screen.findByText('138****0001')
  const button = buttonByText('更换头像')
  expect(button.getAttribute('role')).toBe('button')
  expect(screen.getByText('林').closest('[aria-hidden="true"]')).not.toBeNull() // the initial is decoration; the name is 更换头像
  expect(button.getAttribute('open-type')).toBeNull()
  await act(async () => fireEvent.click(screen.getByText('更换头像')))
  expect(pickAvatar).toHaveBeenCalledTimes(1)
  expect(saveAvatar).toHaveBeenCalledWith(image, null)
  expect(Taro.showToast).toHaveBeenCalledWith({ title: '头像已更新', icon: 'success' })
  await waitFor(() => expect(container.querySelector('img')).toHaveAttribute('src', url))
  expect(avatarFromChosen).not.toHaveBeenCalled()
})

it('H5: a cancelled pick uploads nothing; a file that is not an image is refused with a message', async () => {
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  jest.mocked(pickAvatar).mockResolvedValueOnce(null).mockRejectedValueOnce(new AppError('invalid_image_type'))
  render(<ProfilePage />)
  await screen.findByText('138****0001')
  await act(async () => fireEvent.click(screen.getByText('更换头像')))
  expect(saveAvatar).not.toHaveBeenCalled()
  expect(Taro.showToast).not.toHaveBeenCalled()
  await act(async () => fireEvent.click(screen.getByText('更换头像')))
  expect(saveAvatar).not.toHaveBeenCalled()
  expect(Taro.showToast).toHaveBeenCalledWith(errorToast('只能上传 JPEG、PNG 或 WebP 图片'))
  expect(screen.getByText('林').closest('.profile__avatar--initial')).not.toBeNull()
})

it('the mini-program: the avatar is a chooseAvatar button; the chosen file is uploaded', async () => {
  mockAvatarPicker = 'chooseAvatar'
  jest.mocked(fetchMe).mockResolvedValue(aMe({ avatar_url: 'https://example.com/old.png' }))
  const image = { bytes: new ArrayBuffer(8), type: 'image/jpeg' as const }
  jest.mocked(avatarFromChosen).mockResolvedValue(image)
  jest.mocked(saveAvatar).mockResolvedValue({ ...aMe(), avatar_url: 'https://example.com/new.jpg' })
  render(<ProfilePage />)
  await screen.findByText('138****0001')
  const button = buttonByText('更换头像')
  await waitFor(() => expect(button.getAttribute('open-type')).toBe('chooseAvatar'))
  // a tap alone does nothing: WeChat answers with the chooseavatar event
  await act(async () => fireEvent.click(screen.getByText('更换头像')))
  expect(pickAvatar).not.toHaveBeenCalled()
  await act(async () => {
    fireEvent(button, new CustomEvent('chooseavatar', { bubbles: true, detail: { avatarUrl: 'wxfile://tmp_avatar.jpg' } }))
  })
  expect(avatarFromChosen).toHaveBeenCalledWith('wxfile://tmp_avatar.jpg')
  expect(saveAvatar).toHaveBeenCalledWith(image, 'https://example.com/old.png')
  expect(Taro.showToast).toHaveBeenCalledWith({ title: '头像已更新', icon: 'success' })
})

it('a refused upload shows the message and keeps the avatar', async () => {
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  jest.mocked(pickAvatar).mockResolvedValue({ bytes: new ArrayBuffer(8), type: 'image/jpeg' })
  jest.mocked(saveAvatar).mockRejectedValue(new AppError('upload_failed'))
  render(<ProfilePage />)
  await screen.findByText('138****0001')
  await act(async () => fireEvent.click(screen.getByText('更换头像')))
  expect(Taro.showToast).toHaveBeenCalledWith(errorToast('图片上传失败，请重试'))
  expect(screen.getByText('更换头像')).toBeInTheDocument()
})

it('an invisible nickname is refused before the round trip, with the message invalid_nickname maps to', async () => {
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  render(<ProfilePage />)
  await screen.findByText('138****0001')
  await typeInto(inputByPlaceholder('1–32 个字'), '\u3164\u3164')
  await act(async () => fireEvent.click(screen.getByText('保存')))
  expect(updateProfile).not.toHaveBeenCalled()
  expect(Taro.showToast).toHaveBeenCalledWith(expect.objectContaining({ title: '昵称需为1–32个可见字符', icon: 'none' }))
})

it('a refused save shows the Chinese message', async () => {
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  jest.mocked(updateProfile).mockRejectedValue(new AppError('birthday_change_limited'))
  render(<ProfilePage />)
  await screen.findByText('138****0001')
  jest.spyOn(Taro, 'showModal').mockResolvedValue({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  pick('1996-05-20', '1990-01-01')
  await act(async () => fireEvent.click(screen.getByText('保存')))
  expect(Taro.showToast).toHaveBeenCalledWith(errorToast('生日一年内只能修改一次'))
  expect(fetchMe).toHaveBeenCalledTimes(1)
  expect(saveDisabled()).toBe(false)
})

it('a birthday set less than a year ago cannot be changed yet', async () => {
  jest.mocked(fetchMe).mockResolvedValue(aMe({ birthday_editable_from: '2999-11-23T17:30:00+00:00' }))
  const { container } = render(<ProfilePage />)
  expect(await screen.findByText('可在 2999-11-24 后修改')).toBeInTheDocument()
  expect(container.querySelector('taro-picker-core')).toBeNull()
  expect(screen.getByText('1996-05-20')).toBeInTheDocument()
})

it('退出登录 asks, signs out and goes home', async () => {
  jest.mocked(fetchMe).mockResolvedValue(aMe())
  const modal = jest.spyOn(Taro, 'showModal')
  modal.mockResolvedValueOnce({ confirm: false, cancel: true, errMsg: 'showModal:ok' })
  render(<ProfilePage />)
  await screen.findByText('138****0001')

  await act(async () => fireEvent.click(screen.getByText('退出登录')))
  expect(signOut).not.toHaveBeenCalled()
  expect(Taro.reLaunch).not.toHaveBeenCalled()

  modal.mockResolvedValueOnce({ confirm: true, cancel: false, errMsg: 'showModal:ok' })
  await act(async () => fireEvent.click(screen.getByText('退出登录')))
  expect(signOut).toHaveBeenCalled()
  expect(sessionStore.getState().status).toBe('signed_out')
  expect(meStore.getState().data).toBeUndefined()
  expect(Taro.reLaunch).toHaveBeenCalledWith({ url: '/pages/home/index' })
})

it('an avatar that fails to load falls back to the initial', async () => {
  jest.mocked(fetchMe).mockResolvedValue(aMe({ avatar_url: 'https://example.invalid/a.png' }))
  render(<ProfilePage />)
  const img = await waitFor(() => {
    const el = document.querySelector('.profile__avatar')
    if (!el || el.classList.contains('profile__avatar--initial')) throw new Error('no image yet')
    return el
  })
  fireEvent.error(img.querySelector('img') ?? img)
  expect(await screen.findByText('林')).toBeInTheDocument()
})
