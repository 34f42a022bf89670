import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { PublishedReads } from '../published/published-reads.js';
import type { Notice } from '../trading/notice.entity.js';
import { publicNotice, type PublicLinks, type PublicNotice } from './public-json.js';

/**
 * What every open-data output is labelled with (links, publisher), and notices as public JSON. The data itself
 * is read through PublishedReads, the one read model of published data, like the pages and sync do.
 */
@Injectable()
export class OpenDataReadService {
  readonly links: PublicLinks;
  /** The trading center's name (SITE_NAME): publisher of the feeds and OCDS packages. */
  readonly publisher: string;

  constructor(
    private readonly reads: PublishedReads,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.links = { baseUrl: config.publicBaseUrl, ocidPrefix: config.ocidPrefix };
    this.publisher = config.site.name;
  }

  /** Public JSON of notices, in the order given. */
  async publicNotices(notices: Notice[]): Promise<PublicNotice[]> {
    const projects = await this.reads.projectsByIds(notices.map((n) => n.projectId));
    return notices.map((n) => publicNotice(n, projects.get(n.projectId)!, this.links));
  }
}
