// The project launches Debian's /usr/bin/chromium; never download a browser.
module.exports = { skipDownload: true };
