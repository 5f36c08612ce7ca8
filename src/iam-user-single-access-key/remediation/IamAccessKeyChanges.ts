import { DeleteAccessKeyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { maskAccessKeyId } from '../maskAccessKeyId';
import { IamAccessKeys } from '../IamAccessKeys';

/**
 * The IAM reads of the rule plus the writes of the remediation. Kept apart from IamAccessKeys so
 * the rule's function bundles no IAM write. Each write returns false when the key (or its user)
 * no longer exists, and fails with an error naming the API, user and masked key.
 */
export class IamAccessKeyChanges extends IamAccessKeys {
  /** Sets the key Inactive; false if it no longer exists. */
  async deactivate(userName: string, accessKeyId: string): Promise<boolean> {
    return this.setStatus(userName, accessKeyId, 'Inactive');
  }

  /** Sets the key Active again (undoing this run's own deactivation); false if it no longer exists. */
  async activate(userName: string, accessKeyId: string): Promise<boolean> {
    return this.setStatus(userName, accessKeyId, 'Active');
  }

  /** Deletes the key; false if it no longer exists. */
  async delete(userName: string, accessKeyId: string): Promise<boolean> {
    const response = await this.call('iam:DeleteAccessKey', keyOf(userName, accessKeyId), () =>
      this.iam.send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId }), this.sendOptions),
    );
    return response !== undefined;
  }

  private async setStatus(userName: string, accessKeyId: string, status: 'Active' | 'Inactive'): Promise<boolean> {
    const response = await this.call('iam:UpdateAccessKey', keyOf(userName, accessKeyId), () =>
      this.iam.send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: accessKeyId, Status: status }), this.sendOptions),
    );
    return response !== undefined;
  }
}

function keyOf(userName: string, accessKeyId: string): string {
  return `${userName} (access key ${maskAccessKeyId(accessKeyId)})`;
}
