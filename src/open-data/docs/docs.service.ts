import { Inject, Injectable } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { IS_PUBLIC, ROLES } from '../../auth/decorators.js';
import { APP_CONFIG } from '../../config/config.module.js';
import type { AppConfig } from '../../config/config.js';
import { openApiDocument, rateLimitText, type RouteInfo } from './openapi.js';

const join = (...parts: string[]) => `/${parts.flatMap((p) => p.split('/')).filter(Boolean).join('/')}`;

/** The OpenAPI document, built once from the controllers' route metadata (see openapi.ts). */
@Injectable()
export class DocsService {
  private cached?: Record<string, unknown>;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  routes(): RouteInfo[] {
    const routes: RouteInfo[] = [];
    for (const wrapper of this.discovery.getControllers()) {
      const ctor = wrapper.metatype as (new (...args: unknown[]) => object) | undefined;
      if (!ctor) continue;
      const prefixes = [Reflect.getMetadata(PATH_METADATA, ctor) ?? ''].flat() as string[];
      for (const name of this.scanner.getAllMethodNames(ctor.prototype)) {
        const handler = (ctor.prototype as Record<string, unknown>)[name] as object;
        const paths = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (paths === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, ctor, name) ?? {}) as Record<string, { index: number }>;
        const bodyArg = Object.entries(args).find(([k]) => Number(k.split(':')[0]) === RouteParamtypes.BODY);
        const types = (Reflect.getMetadata('design:paramtypes', ctor.prototype, name) ?? []) as unknown[];
        const bodyType = bodyArg ? types[bodyArg[1].index] : undefined;
        for (const prefix of prefixes) {
          for (const path of [paths].flat()) {
            routes.push({
              method: method === 'ALL' ? 'GET' : method,
              path: join(prefix, path),
              controller: ctor.name,
              handler: name,
              roles: Reflect.getMetadata(ROLES, handler) ?? Reflect.getMetadata(ROLES, ctor),
              isPublic: Reflect.getMetadata(IS_PUBLIC, handler) ?? Reflect.getMetadata(IS_PUBLIC, ctor),
              body: typeof bodyType === 'function' && bodyType !== Object ? (bodyType as new () => object) : undefined,
            });
          }
        }
      }
    }
    return routes;
  }

  document(): Record<string, unknown> {
    this.cached ??= openApiDocument(this.routes(), { baseUrl: this.config.publicBaseUrl, title: this.config.site.name, rateLimit: this.config.rateLimit });
    return this.cached;
  }

  /** What the HTML page lists. */
  page() {
    const doc = this.document() as { info: { title: string }; paths: Record<string, Record<string, { summary: string; description?: string; tags: string[]; parameters?: { name: string; in: string; description?: string }[] }>> };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({
      method: method.toUpperCase(), path, summary: op.summary, description: op.tags[0] === 'admin' ? undefined : op.description, tag: op.tags[0],
      parameters: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => `${p.name}${p.description ? `（${p.description}）` : ''}`).join('；'),
    })));
    return {
      title: 'API 文档',
      heading: doc.info.title,
      rateLimits: rateLimitText(this.config.rateLimit),
      publicOperations: operations.filter((o) => o.tag !== 'admin'),
      adminOperations: operations.filter((o) => o.tag === 'admin'),
    };
  }
}
