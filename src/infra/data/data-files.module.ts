import { Module } from '@nestjs/common';
import { DataFiles, FsDataFiles } from './data-files';

/** The data files under DATA_DIR, bound once for every feature that reads them. */
@Module({
  providers: [{ provide: DataFiles, useClass: FsDataFiles }],
  exports: [DataFiles],
})
export class DataFilesModule {}
