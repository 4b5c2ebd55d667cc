// Generated from proto/ by `npm run gen:proto` (proto-loader-gen-types). Do not edit.
import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ListTriggersRequest as _stratus_v1_ListTriggersRequest, ListTriggersRequest__Output as _stratus_v1_ListTriggersRequest__Output } from './stratus/v1/ListTriggersRequest.js';
import type { ListTriggersResponse as _stratus_v1_ListTriggersResponse, ListTriggersResponse__Output as _stratus_v1_ListTriggersResponse__Output } from './stratus/v1/ListTriggersResponse.js';
import type { Trigger as _stratus_v1_Trigger, Trigger__Output as _stratus_v1_Trigger__Output } from './stratus/v1/Trigger.js';
import type { TriggersClient as _stratus_v1_TriggersClient, TriggersDefinition as _stratus_v1_TriggersDefinition } from './stratus/v1/Triggers.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  stratus: {
    v1: {
      ListTriggersRequest: MessageTypeDefinition<_stratus_v1_ListTriggersRequest, _stratus_v1_ListTriggersRequest__Output>
      ListTriggersResponse: MessageTypeDefinition<_stratus_v1_ListTriggersResponse, _stratus_v1_ListTriggersResponse__Output>
      Trigger: MessageTypeDefinition<_stratus_v1_Trigger, _stratus_v1_Trigger__Output>
      /**
       * Every event source that invokes functions (schedules, event source
       * mappings, object notifications) reports here: what it is, which function
       * it invokes, whether it is on, when it last fired and next will, how far
       * behind it is, and its last error, as the answering frontend sees it.
       */
      Triggers: SubtypeConstructor<typeof grpc.Client, _stratus_v1_TriggersClient> & { service: _stratus_v1_TriggersDefinition }
    }
  }
}

