#!/usr/bin/env node
// Fails when modules of src/, workers/, devnet/ or bench/ import each other in a cycle (type
// imports count: a cycle of types is still a knot a newcomer must untie). Prints each cycle.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'

const roots = ['src', 'workers', 'devnet', 'bench']
const files = []
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) walk(path)
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) files.push(path)
  }
}
roots.filter((root) => existsSync(root)).forEach(walk)

const importsOf = (file) =>
  [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+'(\.[^']+)'/gm)]
    .map((match) => relative('.', resolve(dirname(file), match[1])))
    .filter((path) => existsSync(path))
const graph = new Map(files.map((file) => [file, importsOf(file)]))

const cycles = []
const state = new Map()
const stack = []
const visit = (file) => {
  state.set(file, 'open')
  stack.push(file)
  for (const next of graph.get(file) ?? []) {
    if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next])
    else if (!state.has(next)) visit(next)
  }
  stack.pop()
  state.set(file, 'done')
}
files.forEach((file) => state.has(file) || visit(file))

for (const cycle of cycles) console.log(`import cycle: ${cycle.join(' → ')}`)
console.log(cycles.length ? `${cycles.length} import cycle(s) in ${files.length} modules` : `no import cycles in ${files.length} modules`)
process.exit(cycles.length ? 1 : 0)
