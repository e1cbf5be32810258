import { createHash } from 'node:crypto';
import { h, raw, type Child, type Markup } from './html.js';
import { FILTER_SCRIPT } from './sections/navigation.js';
import { styleSheet } from './styles.js';

/** The CSP source that allows exactly one inline script, by the SHA-256 of its text. */
function scriptHash(script: string): string {
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}

/**
 * The content security policy of every report: nothing may be fetched, the only script that may
 * run is the report's own filter ({@link FILTER_SCRIPT}, by its hash — an injected script would
 * not match), and only the inline style sheet applies (the report has no images; its SVG is
 * inline). A server sending a report adds `frame-ancestors`, which a page cannot set for itself.
 */
export const REPORT_CONTENT_SECURITY_POLICY = `default-src 'none'; style-src 'unsafe-inline'; script-src ${scriptHash(FILTER_SCRIPT)}; base-uri 'none'; form-action 'none'`;

/**
 * A whole HTML document around the sections: UTF-8, a viewport, the inline style sheet, and a
 * content security policy that forbids every fetch, so even a mistake cannot load anything. With
 * `filter`, the report's filter script runs at the end of the body.
 */
export function htmlDocument(title: string, filter: boolean, ...body: Child[]): string {
  const page: Markup = h(
    'html',
    { lang: 'en' },
    h(
      'head',
      {},
      h('meta', { charset: 'utf-8' }),
      h('meta', { 'http-equiv': 'Content-Security-Policy', content: REPORT_CONTENT_SECURITY_POLICY }),
      h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      h('meta', { name: 'referrer', content: 'no-referrer' }),
      h('title', {}, title),
      h('style', {}, styleSheet()),
    ),
    h('body', {}, h('main', {}, body), filter ? h('script', {}, raw(FILTER_SCRIPT)) : null),
  );
  return `${raw('<!DOCTYPE html>').html}\n${page.html}\n`;
}
