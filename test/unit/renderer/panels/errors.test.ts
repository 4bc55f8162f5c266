import { describe, expect, it } from 'vitest';
import { hostMessage } from '../../../../renderer/panels/errors';

describe('hostMessage', () => {
  it("removes Electron's IPC wrapper and the error class name", () => {
    const e = new Error(
      "Error invoking remote method 'project:openPath': LabError: /tmp/x.json: no such file",
    );
    expect(hostMessage(e)).toBe('/tmp/x.json: no such file');
  });

  it('removes it inside a message that has its own context in front', () => {
    expect(
      hostMessage(
        "the project could not be saved: Error: Error invoking remote method 'project:save': Error: disk full",
      ),
    ).toBe('the project could not be saved: disk full');
  });

  it('leaves other messages alone', () => {
    expect(hostMessage('the CSV file could not be read: bad.csv:3:1: empty cell')).toBe(
      'the CSV file could not be read: bad.csv:3:1: empty cell',
    );
    expect(hostMessage(42)).toBe('42');
  });
});
