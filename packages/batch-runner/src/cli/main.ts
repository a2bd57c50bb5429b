import { runCli } from './runCli.js';

// Exit explicitly: after a forced stop, sockets of the abandoned download may still be open.
// Writes to pipes and files are synchronous on Linux, so no log line is lost.
runCli(process.argv.slice(2), process.env).then((code) => {
  process.exit(code);
});
