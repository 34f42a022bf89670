import { Module } from '@nestjs/common';
import { AttachmentsModule } from '../attachments/attachments.module.js';
import { AuthModule } from '../auth/auth.module.js';
import { TradingModule } from '../trading/trading.module.js';
import { PortalController } from './portal.controller.js';
import { SitemapController } from './sitemap.controller.js';
import { PublishedModule } from '../published/published.module.js';

/** The public pages (issue 3): server-rendered, Chinese, usable without JavaScript. */
@Module({
  imports: [TradingModule, AttachmentsModule, PublishedModule, AuthModule],
  controllers: [PortalController, SitemapController],
})
export class PortalModule {}
