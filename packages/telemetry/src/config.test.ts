import { expect } from 'chai';
import { loadTelemetryConfig, TelemetryConfigError } from './config.js';

describe('loadTelemetryConfig', () => {
  it('makes spans but exports nothing without an endpoint, under the process name', () => {
    expect(loadTelemetryConfig('insights-api', {})).to.deep.equal({ enabled: true, serviceName: 'insights-api', export: undefined });
  });

  it('exports with http/protobuf by default once an endpoint is set, and takes OTEL_SERVICE_NAME', () => {
    const config = loadTelemetryConfig('insights-api', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SERVICE_NAME: 'api-eu' });
    expect(config).to.deep.equal({ enabled: true, serviceName: 'api-eu', export: { protocol: 'http/protobuf' } });
  });

  it('prefers the traces-specific protocol and endpoint', () => {
    const config = loadTelemetryConfig('w', {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
    });
    expect(config.export).to.deep.equal({ protocol: 'http/json' });
  });

  it('is off with OTEL_SDK_DISABLED=true', () => {
    expect(loadTelemetryConfig('w', { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' }).enabled).to.equal(false);
  });

  it('lists every bad variable at once', () => {
    let error: unknown;
    try {
      loadTelemetryConfig('w', { OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(TelemetryConfigError);
    const { problems } = error as TelemetryConfigError;
    expect(problems).to.have.length(2);
    expect(problems.join('\n'))
      .to.match(/OTEL_EXPORTER_OTLP_ENDPOINT: expected an http\(s\) URL/)
      .and.match(/OTEL_EXPORTER_OTLP_PROTOCOL: .*grpc is not supported/);
  });
});
