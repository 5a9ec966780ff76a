// What `node:crypto` resolves to in the browser bundle (next.config.ts). The scheme registry
// reaches the dashboard for the API's scheme enums and labels, but its HMAC and random-id code
// runs only on the server and in the CLI; without this alias Next would ship a crypto polyfill.
const nodeCryptoInBrowser = {};
export default nodeCryptoInBrowser;
