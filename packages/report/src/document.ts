import { h, raw, type Child, type Markup } from './html.js';
import { styleSheet } from './styles.js';

/**
 * The content security policy of every report: nothing may be fetched, no script runs, and only
 * the inline style sheet applies (the report has no images; its SVG is inline). A server sending
 * a report adds `frame-ancestors`, which a page cannot set for itself.
 */
export const REPORT_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/**
 * A whole HTML document around the sections: UTF-8, a viewport, the inline style sheet, and a
 * content security policy that forbids every fetch, so even a mistake cannot load anything.
 */
export function htmlDocument(title: string, ...body: Child[]): string {
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
    h('body', {}, h('main', {}, body)),
  );
  return `${raw('<!DOCTYPE html>').html}\n${page.html}\n`;
}
