import '@testing-library/jest-dom'

// Screens other than home show only to a signed-in member (components/SessionGate): component tests start
// signed in unless they set the session store themselves. Required here, not imported at the top, so that a
// test file's jest.mock(...) of the services applies to the store too.
beforeEach(() => {
  const { sessionStore } = require('../../src/stores/session') as typeof import('../../src/stores/session')
  const { aSession } = require('../factories/me') as typeof import('../factories/me')
  sessionStore.setState({ status: 'signed_in', member: aSession().member, errorCode: undefined })
})
