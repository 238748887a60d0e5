export { teardown as default } from './cluster'
