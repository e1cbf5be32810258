import { parentPort, workerData } from 'node:worker_threads';
import { CsvProfileReader } from '@insights/core';
import { failureOf, type FromParseThread, type ParseThreadData, type ToParseThread } from './parse-messages.js';

// Reads one CSV upload off the API's event loop: chunks in, one profile set (or failure) out.
const { skipInvalid, maxRows } = workerData as ParseThreadData;
const port = parentPort!;
const reader = new CsvProfileReader({ skipInvalid, maxRows });
const decoder = new TextDecoder('utf-8');
let failed = false;

function post(message: FromParseThread, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

port.on('message', (message: ToParseThread) => {
  if (failed) return;
  try {
    if ('chunk' in message) {
      reader.push(decoder.decode(message.chunk, { stream: true }));
      post({ read: true });
      return;
    }
    reader.push(decoder.decode());
    const profiles = reader.end();
    post({ profiles }, [profiles.energies.buffer as ArrayBuffer, profiles.lines.buffer as ArrayBuffer]);
  } catch (error) {
    failed = true;
    post({ failure: failureOf(error) });
  }
});
