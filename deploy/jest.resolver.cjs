// kubernetes-models and its @kubernetes-models/* packages are ESM-only: their `exports` offer only the
// `import` condition, which jest's CommonJS resolution does not try. Resolve those packages (and only
// those) with `import` as well; the preset's swc transform then turns their ESM into CommonJS.
const ESM_ONLY = /^(kubernetes-models|@kubernetes-models\/[^/]+)(\/|$)/;

module.exports = (request, options) =>
  options.defaultResolver(
    request,
    ESM_ONLY.test(request) ? { ...options, conditions: [...(options.conditions ?? []), 'import'] } : options,
  );
