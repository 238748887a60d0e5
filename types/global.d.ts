/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.gif'
declare module '*.jpg'
declare module '*.jpeg'
declare module '*.svg'
declare module '*.css'
declare module '*.scss'

declare namespace NodeJS {
  interface ProcessEnv {
    /** Affects the build output. */
    NODE_ENV: 'development' | 'production' | 'test'
    /** The platform being built. */
    TARO_ENV: 'weapp' | 'swan' | 'alipay' | 'h5' | 'rn' | 'tt' | 'qq' | 'jd' | 'harmony' | 'jdrn'
    /** Mini-program appid (optional override of project.config.json). */
    TARO_APP_ID?: string
    /** Supabase project URL, from .env.development / .env.production. */
    TARO_APP_SUPABASE_URL?: string
    /** Supabase anon (public) key. */
    TARO_APP_SUPABASE_ANON_KEY?: string
    /** Subscribe-message template ids (mini-program only; empty: that reminder is never asked for). */
    TARO_APP_WX_TEMPLATE_POINTS_EXPIRING?: string
    TARO_APP_WX_TEMPLATE_VOUCHER_EXPIRING?: string
    TARO_APP_WX_TEMPLATE_VOUCHER_USED?: string
    TARO_APP_WX_TEMPLATE_TIER_CHANGED?: string
    TARO_APP_WX_TEMPLATE_CHECK_IN_REMINDER?: string
  }
}
