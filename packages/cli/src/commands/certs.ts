import { InvalidArgumentError, type Command } from 'commander';
import type { CliContext } from '../context.js';
import { toJson } from '../output.js';

interface CaOptions {
  readonly dir: string;
  readonly name: string;
  readonly days: number;
  readonly force?: boolean;
  readonly json?: boolean;
}

interface IssueOptions {
  readonly dir: string;
  readonly host: string[];
  readonly days: number;
  readonly force?: boolean;
  readonly json?: boolean;
}

function days(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < 1 || parsed > 36_500) throw new InvalidArgumentError('expected a whole number of days from 1 to 36500');
  return parsed;
}

/** `--host a --host b` and `--host a,b` both give [a, b]. */
function hostList(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((host) => host.trim()).filter((host) => host !== '')];
}

/** `stratus certs …`: a CA and certificates for a cluster's TLS (gRPC, NATS, etcd), made with openssl. */
export function registerCerts(program: Command, ctx: CliContext): void {
  const certs = program
    .command('certs')
    .description('make a CA and TLS certificates for a cluster: gRPC, NATS and etcd (needs openssl); keys are written mode 0600');
  certs
    .command('ca')
    .description('create a CA: <dir>/ca.crt (give it to every machine) and <dir>/ca.key (keep it off the cluster)')
    .option('--dir <dir>', 'where the files go (made mode 0700 if missing)', 'certs')
    .option('--name <text>', 'the CA certificate’s common name', 'Stratus CA')
    .option('--days <n>', 'validity in days', days, 3650)
    .option('--force', 'replace a CA already in <dir> (certificates it signed stop being trusted)')
    .option('--json', 'print machine-readable JSON on stdout')
    .action(async (options: CaOptions) => {
      // Loaded here: only this command makes certificates.
      const { createCertificateAuthority } = await import('@stratus/local-cluster');
      const files = await createCertificateAuthority({ dir: options.dir, commonName: options.name, validDays: options.days, overwrite: options.force === true });
      ctx.stdout.write(options.json ? toJson(files) : `CA certificate ${files.certPath}\nCA key         ${files.keyPath}\n`);
    });
  certs
    .command('issue')
    .description('issue <dir>/<name>.crt and <name>.key, signed by the CA in <dir>, for TLS servers and clients alike')
    .argument('<name>', 'file and common name, e.g. frontend-1, node-3, nats-2, etcd-1, billing, client')
    .requiredOption('--host <host>', 'a DNS name or IP address the certificate is for; repeatable or comma-separated', hostList)
    .option('--dir <dir>', 'the CA’s folder, where the files go', 'certs')
    .option('--days <n>', 'validity in days', days, 825)
    .option('--force', 'replace a certificate of that name')
    .option('--json', 'print machine-readable JSON on stdout')
    .action(async (name: string, options: IssueOptions) => {
      const { issueCertificate } = await import('@stratus/local-cluster');
      const files = await issueCertificate({ dir: options.dir, name, hosts: options.host, validDays: options.days, overwrite: options.force === true });
      ctx.stdout.write(options.json ? toJson({ ...files, hosts: options.host }) : `certificate ${files.certPath} (${options.host.join(', ')})\nkey         ${files.keyPath}\n`);
    });
}
