/** Data in and out of the emulator: exports, imports, seeds (see manifest.ts for the format). */
export { createExportAdminHandler, EXPORT_ROUTE } from './export-route';
export { loadImport, type ImportSummary } from './load-import';
export {
  checkManifest,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  ExportFormatError,
  readManifest,
  type ExportManifest,
} from './manifest';
export { seedDir, seedNames, SEEDS_DIR } from './seeds';
export { exportDataFolder, writeExport, type ExportSource } from './write-export';
