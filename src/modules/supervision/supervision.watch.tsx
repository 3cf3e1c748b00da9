import type { Db } from '../../db/connect.ts';
import { registerMessages } from '../../i18n/i18n.ts';
import type { ViewContext } from '../../views/context.ts';
import { StatusTag } from '../../views/forms.tsx';
import type { Actor } from '../account/actor.ts';

/**
 * Deadlines other modules put before e-supervision (电子监察): each registers a watch that lists
 * its open items due soon (yellow card) or overdue (red card) for the actor — already narrowed to
 * the actor's departments. The dashboard shows one table per watch under its title. The request
 * module registers consultations, complaints and disclosure requests here.
 */
export interface WatchItem {
  /** Reference shown in the first column, e.g. a request number. */
  ref: string;
  title: string;
  department: string;
  deadline: string;
  tone: 'yellow' | 'red';
  /** Staff page of the item. */
  href: string;
}

export interface SupervisionWatch {
  key: string;
  /** Message key of the section title. */
  title: string;
  /** Message key shown when nothing is due. */
  none: string;
  list: (db: Db, actor: Actor, options: { now?: Date }) => Promise<WatchItem[]>;
}

registerMessages({
  'zh-CN': {
    'supervision.watch.ref': '编号',
    'supervision.watch.title': '事项',
    'supervision.watch.status': '预警',
    'supervision.watch.dueSoon': '即将到期',
  },
  en: {
    'supervision.watch.ref': 'Number',
    'supervision.watch.title': 'Item',
    'supervision.watch.status': 'Warning',
    'supervision.watch.dueSoon': 'Due soon',
  },
});

const watches = new Map<string, SupervisionWatch>();

export function addSupervisionWatch(watch: SupervisionWatch): void {
  watches.set(watch.key, watch);
}

export async function supervisionWatches(db: Db, actor: Actor, options: { now?: Date } = {}) {
  return Promise.all([...watches.values()].map(async (w) => ({ watch: w, items: await w.list(db, actor, options) })));
}

/** Every watched item, flattened (tests, counts). */
export async function supervisionWatchItems(db: Db, actor: Actor, options: { now?: Date } = {}): Promise<WatchItem[]> {
  return (await supervisionWatches(db, actor, options)).flatMap((w) => w.items);
}

const DAY = 86_400_000;
const daysLate = (deadline: string, today: string) =>
  Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${deadline}T00:00:00Z`)) / DAY);

/** The dashboard section: one table per watch. */
export function WatchSections({
  ctx,
  sections,
  today,
}: {
  ctx: ViewContext;
  sections: Awaited<ReturnType<typeof supervisionWatches>>;
  today: string;
}) {
  const { t } = ctx;
  return (
    <>
      {sections.map(({ watch, items }) => (
        <section key={watch.key} aria-labelledby={`watch-${watch.key}`}>
          <h2 id={`watch-${watch.key}`}>{t(watch.title)}</h2>
          {items.length === 0 ? (
            <p>{t(watch.none)}</p>
          ) : (
            <div class="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('supervision.watch.ref')}</th>
                    <th scope="col">{t('supervision.watch.title')}</th>
                    <th scope="col">{t('supervision.col.department')}</th>
                    <th scope="col">{t('supervision.col.deadline')}</th>
                    <th scope="col">{t('supervision.watch.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => (
                    <tr key={item.href}>
                      <th scope="row">
                        <a href={item.href}>{item.ref}</a>
                      </th>
                      <td>{item.title}</td>
                      <td>{item.department}</td>
                      <td>{item.deadline}</td>
                      <td>
                        <StatusTag tone={item.tone}>
                          {item.tone === 'red'
                            ? t('supervision.days', { days: daysLate(item.deadline, today) })
                            : t('supervision.watch.dueSoon')}
                        </StatusTag>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      ))}
    </>
  );
}
