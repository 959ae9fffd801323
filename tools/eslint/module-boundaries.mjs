// Module boundaries for the Vigil workspace, read from the `nx.tags` of each package.json:
//   type:lib may import only type:lib; type:app may import only type:lib (never another app);
//   @vigil/testing (scope:testing) only from tests; across projects only by package name.
// Inside an app, its `nx.layers` (folder of src/ -> the folders of src/ it may import) keeps every
// import between folders pointing down: each folder of src/ must be declared, an import into another
// folder must be declared, and the declarations must not form a cycle. The files directly in src/
// (module, bootstrap) are the composition root: they may import any folder, no folder imports them.
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

function readProjects() {
  const projects = [];
  for (const group of ['apps', 'libs']) {
    const dir = path.join(root, group);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name, 'package.json');
      if (!fs.existsSync(file)) continue;
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
      const project = { name: pkg.name, dir: path.join(dir, name), tags: pkg.nx?.tags ?? [] };
      projects.push({ ...project, layers: pkg.nx?.layers, cycle: declaredCycle(pkg.nx?.layers ?? {}) });
    }
  }
  return projects;
}

/** A cycle among the declared layers (as the list of folders along it), or null. */
function declaredCycle(layers) {
  const state = new Map(); // folder -> 'open' while on the path, 'done' once explored
  const visit = (folder, trail) => {
    if (state.get(folder) === 'done') return null;
    if (state.get(folder) === 'open') return [...trail.slice(trail.indexOf(folder)), folder];
    state.set(folder, 'open');
    for (const next of layers[folder] ?? []) {
      const cycle = visit(next, [...trail, folder]);
      if (cycle) return cycle;
    }
    state.set(folder, 'done');
    return null;
  };
  for (const folder of Object.keys(layers)) {
    const cycle = visit(folder, []);
    if (cycle) return cycle;
  }
  return null;
}

const projects = readProjects();
const byName = new Map(projects.map((p) => [p.name, p]));
const ownerOf = (file) => projects.find((p) => file.startsWith(p.dir + path.sep));
const has = (project, tag) => project.tags.includes(tag);
const isTestFile = (file) => /\.spec\.ts$/.test(file) || file.includes(`${path.sep}test${path.sep}`);

/** The folder of `project`'s src/ holding `file`; '' for a file directly in src/; null outside src/. */
function folderOf(project, file) {
  const relative = path.relative(path.join(project.dir, 'src'), file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return null;
  const parts = relative.split(path.sep);
  return parts.length > 1 ? parts[0] : '';
}

const layersFile = (project) => path.relative(root, path.join(project.dir, 'package.json'));

/** Why the folder holding `file` may not exist as it is: undeclared, or its app's layers form a cycle. */
function folderProblem(file) {
  const owner = ownerOf(file);
  if (!owner || !has(owner, 'type:app')) return null;
  const folder = folderOf(owner, file);
  if (!folder) return null;
  if (!owner.layers) return `${owner.name} declares no layers; add nx.layers to ${layersFile(owner)}`;
  if (!Object.hasOwn(owner.layers, folder))
    return `folder "${folder}" of ${owner.name} is not declared in nx.layers of ${layersFile(owner)}; declare the folders it may use`;
  if (owner.cycle) return `nx.layers of ${owner.name} declare a cycle: ${owner.cycle.join(' -> ')}`;
  return null;
}

/** Whether a relative import from `file` to `target` (both inside `owner`) goes down the layers. */
function layerViolation(owner, file, target) {
  if (!has(owner, 'type:app') || !owner.layers) return null;
  const from = folderOf(owner, file);
  // `../migrations` names a folder (its index), `../service` a file directly in src/.
  const to =
    fs.existsSync(target) && fs.statSync(target).isDirectory()
      ? folderOf(owner, path.join(target, 'index.ts'))
      : folderOf(owner, target);
  if (from === null || to === null || from === to || from === '') return null;
  const allowed = owner.layers[from];
  if (!allowed) return null; // reported once per file as an undeclared folder
  if (to === '')
    return `folder "${from}" imports the composition root (a file directly in src/) of ${owner.name}`;
  if (allowed.includes(to)) return null;
  return `folder "${from}" may not import folder "${to}" of ${owner.name}: it may use only [${allowed.join(', ')}] (nx.layers in ${layersFile(owner)})`;
}

function violation(file, source) {
  const owner = ownerOf(file);
  if (!owner) return null;
  if (source.startsWith('.')) {
    const target = path.resolve(path.dirname(file), source);
    return target.startsWith(owner.dir + path.sep) || target === owner.dir
      ? layerViolation(owner, file, target)
      : `relative import "${source}" leaves ${owner.name}; import another project by its package name`;
  }
  const match = /^(@vigil\/[^/]+)(\/.*)?$/.exec(source);
  if (!match) return null;
  const target = byName.get(match[1]);
  if (!target) return `unknown workspace package "${match[1]}"`;
  if (match[2]) return `deep import "${source}"; import "${match[1]}" only`;
  if (has(target, 'type:app')) return `${owner.name} must not import the app ${target.name}`;
  if (has(target, 'scope:testing') && !isTestFile(file) && !has(owner, 'scope:testing'))
    return `${target.name} is for tests only`;
  return null;
}

const rule = {
  meta: { type: 'problem', docs: { description: 'enforce Vigil project boundaries' }, schema: [] },
  create(context) {
    const check = (node, value) => {
      if (typeof value !== 'string') return;
      const message = violation(context.filename, value);
      if (message) context.report({ node, message });
    };
    return {
      Program: (node) => {
        const message = folderProblem(context.filename);
        if (message) context.report({ node, message });
      },
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) =>
        node.callee.type === 'Identifier' &&
        node.callee.name === 'require' &&
        node.arguments[0]?.type === 'Literal' &&
        check(node, node.arguments[0].value),
    };
  },
};

export default { rules: { 'module-boundaries': rule } };
