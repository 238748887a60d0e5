/**
 * Platform seam (H5): the home screen is in the initial bundle, not a lazily loaded chunk (docs/performance.md,
 * "H5 first screen on Fast 3G"). Taro's H5 router loads every page with `import()`; for home, the first screen
 * of nearly every visit, that was a second round trip (≈ 0.9 s on Fast 3G) after the app's own JS. Importing it
 * here, from src/app.ts, makes webpack put it in the app chunk and the router's `import()` resolves at once.
 * The mini-program (eager.weapp.ts) has its pages as separate entries already: nothing to do.
 */
import '../pages/home/index'
