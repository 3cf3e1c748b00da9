// bpmn-moddle 10 ships types for its meta-model (bpmn-moddle/types) but none for its entry point.
declare module 'bpmn-moddle' {
  // moddle elements are dynamic
  type ModdleElement = any;
  export interface BpmnModdleInstance {
    create(type: string, attrs?: Record<string, unknown>): ModdleElement;
    fromXML(
      xml: string,
      typeName?: string,
    ): Promise<{ rootElement: ModdleElement; warnings: Array<{ message: string }>; elementsById: Record<string, ModdleElement> }>;
    toXML(element: ModdleElement, options?: { format?: boolean; preamble?: boolean }): Promise<{ xml: string }>;
  }
  export function BpmnModdle(packages?: Record<string, object>, options?: object): BpmnModdleInstance;
}
