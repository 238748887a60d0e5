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
  }
}
