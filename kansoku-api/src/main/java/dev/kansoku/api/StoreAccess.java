package dev.kansoku.api;

import dev.kansoku.store.Storage;

/** What the {@code kansoku} extension offers other components: the store it owns. */
public interface StoreAccess {
  /** The started store. */
  Storage storage();
}
