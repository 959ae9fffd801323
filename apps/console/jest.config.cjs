module.exports = require('../../jest.service.cjs')(__dirname);
