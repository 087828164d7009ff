/* The table of entry points every translated connector (.so) exports as rb_module_table().
 * The glue that fills it is generated per module by the translator (plugin/translate), so
 * the host never depends on the order of wasm2c's instantiate parameters or on which
 * optional exports a module has: absent exports are NULL. Plain C, shared with the glue. */
#ifndef RAPIDBYTE_PLUGIN_RUNTIME_MODULE_TABLE_H_
#define RAPIDBYTE_PLUGIN_RUNTIME_MODULE_TABLE_H_

#include <stdint.h>
#include <wasm-rt.h>

#define RB_MODULE_TABLE_VERSION 1

#ifdef __cplusplus
extern "C" {
#endif

typedef struct RbModuleTable {
  uint32_t table_version; /* RB_MODULE_TABLE_VERSION */
  uint64_t instance_size; /* bytes of the wasm2c instance struct */
  void (*init_module)(void);
  /* Instantiate into zeroed storage of instance_size bytes; the two contexts are passed to
   * the module's rapidbyte and wasi_snapshot_preview1 imports (either may be unused). */
  void (*instantiate)(void* instance, void* rapidbyte_ctx, void* wasi_ctx);
  void (*free_instance)(void* instance);
  wasm_rt_memory_t* (*memory)(void* instance);
  void (*initialize)(void* instance); /* optional: _initialize */
  uint32_t (*abi_version)(void* instance);
  uint32_t (*allocate)(void* instance, uint32_t size);
  void (*deallocate)(void* instance, uint32_t ptr, uint32_t size);
  uint64_t (*open)(void* instance, uint32_t ptr, uint32_t len);
  uint64_t (*validate)(void* instance, uint32_t ptr, uint32_t len);
  uint64_t (*discover)(void* instance, uint32_t ptr, uint32_t len);
  uint64_t (*run_read)(void* instance, uint32_t ptr, uint32_t len);
  uint64_t (*run_write)(void* instance, uint32_t ptr, uint32_t len);
  uint64_t (*run_transform)(void* instance, uint32_t ptr, uint32_t len);
  uint32_t (*close)(void* instance);
} RbModuleTable;

typedef const RbModuleTable* (*RbModuleTableFn)(void);

#ifdef __cplusplus
}
#endif

#endif /* RAPIDBYTE_PLUGIN_RUNTIME_MODULE_TABLE_H_ */
