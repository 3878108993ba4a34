import { describe, expect, it } from 'vitest';
import { dockerRunLine, parsePort, parseVolume } from '$shared/containers/run-options';

describe('docker run options', () => {
  it('reads -p values as docker does, and refuses what docker refuses', () => {
    expect(parsePort('8080:80')).toEqual({ hostPort: 8080, containerPort: 80 });
    expect(parsePort('127.0.0.1:53:53/udp')).toEqual({
      hostPort: 53,
      containerPort: 53,
      protocol: 'udp',
      hostIp: '127.0.0.1',
    });
    expect(parsePort('80')).toHaveProperty('error');
    expect(parsePort('0:80')).toHaveProperty('error');
    expect(parsePort('8080:70000')).toHaveProperty('error');
  });

  it('reads -v bind mounts, host paths absolute (POSIX or Windows)', () => {
    expect(parseVolume('/srv/data:/data')).toEqual({ source: '/srv/data', target: '/data' });
    expect(parseVolume('/srv/data:/data:ro')).toEqual({ source: '/srv/data', target: '/data', readOnly: true });
    expect(parseVolume('C:\\src:/app')).toEqual({ source: 'C:\\src', target: '/app' });
    expect(parseVolume('data:/data')).toHaveProperty('error');
    expect(parseVolume('/only-one')).toHaveProperty('error');
  });

  it('writes the docker run line with every option quoted for a shell', () => {
    expect(
      dockerRunLine({
        image: 'busybox',
        name: 'box',
        command: ['sh', '-c', "echo it's"],
        env: ['A=b c'],
        remove: true,
        ports: [{ hostPort: 8080, containerPort: 80 }],
        volumes: [{ source: '/my dir', target: '/data', readOnly: true }],
        workdir: '/tmp',
        user: '1000:1000',
      }),
    ).toBe(
      `docker run -d -it --rm --name box -e 'A=b c' -p 8080:80 -v '/my dir:/data:ro' -w /tmp -u 1000:1000 busybox sh -c 'echo it'\\''s'`,
    );
    expect(dockerRunLine({ image: 'busybox', interactive: false })).toBe('docker run -d busybox');
  });
});
