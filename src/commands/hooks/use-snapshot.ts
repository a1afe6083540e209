import { useSyncExternalStore } from "react";

interface Observable<T> {
  subscribe(listener: () => void): () => void;
  getSnapshot(): T;
}

const noSubscription = () => () => undefined;
const nothing = () => undefined;

/** The current snapshot of a view model (AskRun, FirstRunSetup), re-rendering when it changes. */
export function useSnapshot<T>(source: Observable<T> | undefined): T | undefined {
  return useSyncExternalStore(
    source ? source.subscribe : noSubscription,
    source ? source.getSnapshot : nothing,
  );
}
