import { runCli } from './runCli.js';

// Exit with the code the run chose; stdout/stderr are flushed first because they are pipes.
runCli(process.argv.slice(2), process.env).then((code) => {
  process.exitCode = code;
});
