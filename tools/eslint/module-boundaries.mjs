// Module boundaries for the Vigil workspace, read from the `nx.tags` of each package.json:
//   type:lib may import only type:lib; type:app may import only type:lib (never another app);
//   @vigil/testing (scope:testing) only from tests; across projects only by package name.
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
      projects.push({ name: pkg.name, dir: path.join(dir, name), tags: pkg.nx?.tags ?? [] });
    }
  }
  return projects;
}

const projects = readProjects();
const byName = new Map(projects.map((p) => [p.name, p]));
const ownerOf = (file) => projects.find((p) => file.startsWith(p.dir + path.sep));
const has = (project, tag) => project.tags.includes(tag);
const isTestFile = (file) => /\.spec\.ts$/.test(file) || file.includes(`${path.sep}test${path.sep}`);

function violation(file, source) {
  const owner = ownerOf(file);
  if (!owner) return null;
  if (source.startsWith('.')) {
    const target = path.resolve(path.dirname(file), source);
    return target.startsWith(owner.dir + path.sep) || target === owner.dir
      ? null
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
