/** The staff flowchart editor's page: the steps and transitions as a plain HTML form, and the preview. */
import type { ViewContext } from '../../views/context.ts';
import { CsrfField, ErrorSummary, type FieldErrors } from '../../views/forms.tsx';
import { StaffPage } from '../../views/layout.tsx';
import type { EditorState } from './flowchart.form.ts';
import { type StepLimit, unitLabel } from './flowchart.model.ts';
import { FlowchartStyles } from './flowchart.pages.tsx';
import { FlowchartTextList } from './flowchart.render.tsx';
import { StepFields, TextField } from './flowchart-editor.fields.tsx';

const CONDITIONS = ['受理', '不予受理', '补正', '批准', '不批准', '立案', '不予立案', '要求听证'];

/** What the editor edits: one power's item chart, or a category's basic chart (类别流程图). */
export type EditorTarget =
  | { kind: 'item'; powerId: number; powerName: string }
  | { kind: 'category'; code: string; label: string };

export function editorAction(target: EditorTarget): string {
  return target.kind === 'item'
    ? `/staff/catalog/${target.powerId}/flowchart`
    : `/staff/flowcharts/categories/${encodeURIComponent(target.code)}`;
}

export interface EditorProps {
  ctx: ViewContext;
  target: EditorTarget;
  promised: StepLimit | null;
  state: EditorState;
  errors: FieldErrors;
  message?: string;
  notice?: string;
  preview: string | null;
  locked: boolean;
}

export function EditorPage(props: EditorProps) {
  const { ctx, state, errors, locked } = props;
  const { t } = ctx;
  const { steps, transitions } = state.chart;
  const posts = [...new Set(steps.map((s) => s.post).filter(Boolean))] as string[];
  const { target } = props;
  const title =
    target.kind === 'item'
      ? t('flowchart.editTitle', { name: target.powerName })
      : t('flowchart.editCategoryTitle', { name: target.label });
  const stepOption = (selected: string) =>
    [<option key="" value="" />].concat(
      steps.map((s) => (
        <option key={s.id} value={s.id} selected={s.id === selected}>
          {s.name || s.id}（{s.id}）
        </option>
      )),
    );
  return (
    <StaffPage
      ctx={ctx}
      title={title}
      crumbs={
        target.kind === 'item'
          ? [
              { href: '/staff/catalog', label: t('catalog.staffTitle') },
              { href: `/staff/catalog/${target.powerId}`, label: target.powerName },
              { label: t('flowchart.edit') },
            ]
          : [{ href: '/staff/flowcharts/categories', label: t('flowchart.categoryEditor') }, { label: target.label }]
      }
    >
      <h1>{title}</h1>
      {props.notice ? <p class="notice notice-success">{props.notice}</p> : null}
      <ErrorSummary ctx={ctx} errors={errors} message={props.message} />
      <p>{t('flowchart.editIntro')}</p>
      {props.promised ? (
        <p>
          {t('flowchart.promisedLimit')}：{props.promised.days}{' '}
          {unitLabel(props.promised.unit, ctx.locale === 'en' ? 'en' : 'zh-CN')}
        </p>
      ) : null}
      <form method="post" action={editorAction(target)} class="stack" novalidate data-live-preview="flowchart-preview">
        <CsrfField ctx={ctx} />
        {/* Enter in a field previews rather than pressing the first step's buttons. */}
        <button type="submit" name="op" value="preview" class="visually-hidden" tabindex={-1}>
          {t('flowchart.preview')}
        </button>
        <input type="hidden" name="stepCount" value={String(steps.length)} />
        <input type="hidden" name="transitionCount" value={String(transitions.length)} />
        <datalist id="flowchart-posts">
          {posts.map((post) => (
            <option key={post} value={post} />
          ))}
        </datalist>
        <datalist id="flowchart-conditions">
          {CONDITIONS.map((c) => (
            <option key={c} value={c} />
          ))}
        </datalist>
        <h2>{t('flowchart.steps')}</h2>
        {steps.map((step, i) => (
          <StepFields key={`${i}-${step.id}`} ctx={ctx} step={step} i={i} errors={errors} bad={state.bad} locked={locked} />
        ))}
        {locked ? null : (
          <p>
            <button type="submit" name="op" value="addStep" class="button-secondary">
              {t('flowchart.addStep')}
            </button>
          </p>
        )}
        <h2>{t('flowchart.transitions')}</h2>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('flowchart.from')}</th>
                <th scope="col">{t('flowchart.to')}</th>
                <th scope="col">{t('flowchart.condition')}</th>
                <th scope="col">{t('common.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {transitions.map((tr, i) => (
                <tr
                  key={`${i}-${tr.from}-${tr.to}`}
                  class={errors[`t${i}_from`] || errors[`t${i}_to`] ? 'field-error' : undefined}
                >
                  <td>
                    <select id={`field-t${i}_from`} name={`t${i}_from`} aria-label={`${t('flowchart.from')} ${i + 1}`}>
                      {stepOption(tr.from)}
                    </select>
                    {errors[`t${i}_from`] ? <p class="error-message">{errors[`t${i}_from`]}</p> : null}
                  </td>
                  <td>
                    <select id={`field-t${i}_to`} name={`t${i}_to`} aria-label={`${t('flowchart.to')} ${i + 1}`}>
                      {stepOption(tr.to)}
                    </select>
                    {errors[`t${i}_to`] ? <p class="error-message">{errors[`t${i}_to`]}</p> : null}
                  </td>
                  <td>
                    <input
                      type="text"
                      name={`t${i}_condition`}
                      value={tr.condition ?? ''}
                      list="flowchart-conditions"
                      aria-label={`${t('flowchart.condition')} ${i + 1}`}
                    />
                  </td>
                  <td>
                    {locked ? null : (
                      <button type="submit" name="op" value={`removeTransition:${i}`} class="button-danger">
                        {t('flowchart.remove')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {locked ? null : (
          <p>
            <button type="submit" name="op" value="addTransition" class="button-secondary">
              {t('flowchart.addTransition')}
            </button>
          </p>
        )}
        {/* 法定程序 belongs to an item: a category chart is the basic procedure only. */}
        {target.kind === 'item' ? (
          <>
            <div class="field">
              <label>
                <input type="checkbox" name="legalProcedure" value="1" checked={state.legalProcedure} />{' '}
                {t('flowchart.legalProcedureField')}
              </label>
            </div>
            <TextField
              ctx={ctx}
              name="legalSource"
              label={t('flowchart.legalSourceField')}
              value={state.legalSource}
              errors={errors}
            />
          </>
        ) : (
          <p>{t('flowchart.categoryEditIntro')}</p>
        )}
        {locked ? null : (
          <details open={Boolean(errors.bpmn)}>
            <summary>{t('flowchart.importBpmn')}</summary>
            <div class={`field${errors.bpmn ? ' field-error' : ''}`}>
              <label for="field-bpmn">{t('flowchart.importBpmnLabel')}</label>
              <p class="hint">{t('flowchart.importBpmnHint')}</p>
              {errors.bpmn ? <p class="error-message">{errors.bpmn}</p> : null}
              <textarea id="field-bpmn" name="bpmn" rows={4} spellcheck={false} />
            </div>
            <button type="submit" name="op" value="importBpmn" class="button-secondary">
              {t('flowchart.importBpmnButton')}
            </button>
          </details>
        )}
        <p class="actions">
          <button type="submit" name="op" value="preview" class="button-secondary">
            {t('flowchart.preview')}
          </button>{' '}
          {locked ? null : (
            <button type="submit" name="op" value="save">
              {t('flowchart.save')}
            </button>
          )}
        </p>
      </form>
      {/* enhance.js refreshes this region while the form is edited (live preview); without
          JavaScript the preview button re-renders the whole page. */}
      <div id="flowchart-preview" aria-live="polite">
        {props.preview ? (
          <section aria-labelledby="preview-heading">
            <h2 id="preview-heading">{t('flowchart.previewTitle')}</h2>
            {/* Server-built SVG: all text in it is XML-escaped (flowchart.render.tsx). */}
            <FlowchartStyles />
            <div class="table-wrap flowchart-figure" dangerouslySetInnerHTML={{ __html: props.preview }} />
            <FlowchartTextList chart={state.chart} locale={ctx.locale === 'en' ? 'en' : 'zh-CN'} />
          </section>
        ) : null}
      </div>
    </StaffPage>
  );
}
