// npm start: builds the web app when its sources are newer than the build, then runs the server.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

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
const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], { stdio: 'inherit' })
process.exit(r.status ?? 1)
