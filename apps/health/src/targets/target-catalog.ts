import { Inject, Injectable } from '@nestjs/common';

import type { TargetDefinition } from './target-definition';
import { HEALTH_TARGETS } from './targets.tokens';

/** What changed in the catalog: a target added or replaced, or one removed. */
export type CatalogChange = { kind: 'put'; target: TargetDefinition } | { kind: 'removed'; name: string };

/**
 * Every target the service watches: the ones of TARGETS_FILE (in file order) and those added at run
 * time (heartbeat monitors created by API). The scheduler, the state machine, the status page and the
 * summary all read it here, so a target added by API is checked, shown and reported like a file's.
 */
@Injectable()
export class TargetCatalog {
  private readonly byName = new Map<string, TargetDefinition>();
  private readonly listeners = new Set<(change: CatalogChange) => void>();

  constructor(@Inject(HEALTH_TARGETS) fileTargets: readonly TargetDefinition[]) {
    for (const target of fileTargets) this.byName.set(target.name, target);
  }

  /** Every target, file targets first in file order, then run-time ones in the order they were added. */
  list(): TargetDefinition[] {
    return [...this.byName.values()];
  }

  get(name: string): TargetDefinition | undefined {
    return this.byName.get(name);
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  /** Adds a target, or replaces the one of the same name, and tells the listeners. */
  put(target: TargetDefinition): void {
    this.byName.set(target.name, target);
    this.emit({ kind: 'put', target });
  }

  /** Removes a target; false when there was none of that name. */
  remove(name: string): boolean {
    if (!this.byName.delete(name)) return false;
    this.emit({ kind: 'removed', name });
    return true;
  }

  /** Calls `listener` on every later change; returns the unsubscribe function. */
  onChange(listener: (change: CatalogChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(change: CatalogChange): void {
    for (const listener of this.listeners) listener(change);
  }
}
