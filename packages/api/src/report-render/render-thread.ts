import { parentPort } from 'node:worker_threads';
import { renderStoredReport, type StoredReportOptions, type StoredResult } from '@insights/report';
import type { DatasetContent } from '@insights/store';

/** What the API hands over: the stored result, its data set already read, and the options. */
interface RenderRequest {
  stored: StoredResult;
  dataset: DatasetContent | null;
  options: StoredReportOptions;
}

// Renders one report per message off the API's event loop; the HTML goes back as bytes, moved rather than copied.
parentPort!.on('message', (request: RenderRequest) => {
  renderStoredReport(request.stored, async () => request.dataset, request.options).then(
    (html) => {
      const bytes = Buffer.from(html, 'utf8');
      const moved = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      parentPort!.postMessage({ html: moved }, bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer as ArrayBuffer] : []);
    },
    (error: unknown) => parentPort!.postMessage({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
  );
});
