// Stylesheets imported by components are irrelevant in jest.
module.exports = {}
