import { Module } from '@nestjs/common';
import { PublishedModule } from '../published/published.module.js';
import { OrganizationReads } from './organization-reads.js';
import { OrganizationsController } from './organizations.controller.js';
import { OrganizationsService } from './organizations.service.js';

/**
 * Organisations by credit code (/organizations, /api/v1/organizations, /exports/organizations): read from the
 * organisation index the publishing transaction keeps (trading/organization-index.ts).
 */
@Module({
  imports: [PublishedModule],
  controllers: [OrganizationsController],
  providers: [OrganizationReads, OrganizationsService],
  exports: [OrganizationReads],
})
export class OrganizationsModule {}
