// The OpenAPI shape of a multipart upload with one file, so /docs offers a file picker.
// The body itself is read as a stream by the handler (@fastify/multipart), so Fastify sees no
// parsed body: `nullable` lets that absent body pass validation while the docs still show the field.
export const fileUploadBody = (description: string) => ({
  content: {
    'multipart/form-data': {
      schema: {
        type: 'object',
        nullable: true,
        properties: { file: { type: 'string', format: 'binary', description } },
        required: ['file'],
      },
    },
  },
});
