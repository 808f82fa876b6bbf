// npm start: builds the web app when its sources are newer than the build, then runs the server.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

// Node's flags for the server (bench/fuzz.bench.ts starts it with the same ones). An old-generation
// heap of at most 192 MB: without a cap V8 sizes its heap for the machine's memory and lets garbage
// (large webhook bodies among it) pile up to hundreds of megabytes before a full collection; with
// it V8 collects early, and the resident set stays under 250 MB through the fuzz (bench/README.md).
// What is alive at once stays far below the cap (about 60 MB there): a delivery batch holds at most
// 2 MiB of bodies, and no body nested deeper than 64 levels is parsed by the job or the Telegram
// and X receivers.
const SERVER_NODE_FLAGS = JSON.parse(readFileSync(new URL('./server-node-flags.json', import.meta.url), 'utf8'))

const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
    const p = join(dir, e.name)
    return Math.max(max, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }, 0)

const built = join('web', 'dist', 'index.html')
const sources = Math.max(newest(join('web', 'src')), newest(join('shared', 'src')), statSync(join('web', 'index.html')).mtimeMs)
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  console.log('Membangun aplikasi web… (building the web app)')
  const r = spawnSync('npm', ['run', 'build', '-w', 'web'], { stdio: 'inherit' })
  if (r.status !== 0) process.exit(r.status ?? 1)
}
const r = spawnSync(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'server/src/main.ts'], { stdio: 'inherit' })
process.exit(r.status ?? 1)
