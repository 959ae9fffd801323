/**
 * A frame's file name as grouping compares it: the same code in another release, virtualenv, Python or
 * build gives the same name. Backslashes become slashes; line numbers (`:12:5`), query strings, `.pyc`,
 * everything up to `site-packages/`, `dist-packages/` or `node_modules/`, versions and content hashes go.
 */
export function normaliseFilename(name: string): string {
  let file = name.slice(0, 1_024).replace(/\\/g, '/');
  file = file.replace(/[?#].*$/, '').replace(/(?::\d{1,9}){1,2}$/, '');
  const packages = /(?:^|\/)(?:site-packages|dist-packages|node_modules)\//g;
  let cut = -1;
  for (let match = packages.exec(file); match !== null; match = packages.exec(file))
    cut = match.index + match[0].length;
  if (cut !== -1) file = file.slice(cut);
  file = file.replace(/\.pyc$/, '.py').replace(/\$py\.class$/, '.py');
  file = file.replace(/\bpython\d(?:\.\d{1,2})?\b/g, 'python');
  // Versions (`lib-1.2.3`, `/v2.4.0/`, `@4.17.21`) and hashes (`main.3f9a2b1c.js`, a git sha in a path).
  file = file.replace(/(?<![\w])v?\d{1,6}(?:\.\d{1,6}){1,3}(?:[-+.][0-9a-z]{1,20})?(?![\w])/gi, '<version>');
  file = file.replace(/(?<=[-@_/])v?\d{1,6}(?:\.\d{1,6}){1,3}(?![\w])/gi, '<version>');
  file = file.replace(/\b(?=[0-9a-f]{0,63}\d)(?=[0-9a-f]{0,63}[a-f])[0-9a-f]{7,64}\b/gi, '<hash>');
  return file;
}

/** Frames of installed packages and the standard library, whatever the SDK said of `in_app`. */
const SYSTEM_PATH =
  /(?:^|\/)(?:site-packages|dist-packages|node_modules)\/|^\/usr\/lib\/python\d|^node:|^internal\//;

/**
 * Whether a frame is the app's own code: the SDK's `in_app`, except for frames whose path says they are
 * an installed package (sentry-python 1.9 marks every frame in-app when no `in_app_include` is set).
 */
export function isAppFrame(frame: { in_app?: boolean; abs_path?: string; filename?: string }): boolean {
  if (frame.in_app === false) return false;
  const path = (frame.abs_path ?? frame.filename ?? '').replace(/\\/g, '/');
  return !SYSTEM_PATH.test(path);
}
