import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module.js';
import { TradingModule } from '../trading/trading.module.js';
import { PortalReadService } from './portal-read.service.js';
import { PortalController } from './portal.controller.js';
import { SitemapController } from './sitemap.controller.js';

/** The public pages (issue 3): server-rendered, Chinese, usable without JavaScript. */
@Module({
  imports: [TradingModule, AttachmentsModule],
  controllers: [PortalController, SitemapController],
  providers: [PortalReadService],
})
export class PortalModule {}
