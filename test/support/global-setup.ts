export { setup as default } from './cluster'
